"""The top layer: pages that combine apps (home, work, list, member pages), each composed
in one view from the selectors each app exposes beside its models."""
