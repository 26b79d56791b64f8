"""What a course repository gets from microcred besides its content: the workflows, the pinned
install of microcred they use, and the staff README (`microcred init` writes them; `doctor`
checks them)."""
