"""The social loop: a member's inbox (replies, "me too", moderation, suggestion
decisions, new followers) and the activity feed of the members they follow.

The top layer: it listens to the other apps' signals and reads their models.
"""
