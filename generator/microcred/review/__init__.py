"""Coach reviews: the review block inside a review body, and the decision on a merged submission."""
