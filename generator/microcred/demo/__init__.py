"""`microcred demo`: the whole cycle on a throwaway repository, for a first look at the product."""
