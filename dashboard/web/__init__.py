"""Flask plumbing of the app: the context, the geometry route, access control, error pages, the deck's
PDF route and the frame of each visit."""
