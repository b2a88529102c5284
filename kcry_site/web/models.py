from django.db import models


class RateEvent(models.Model):
    """One counted action for the sliding-window limiter (see kcry_site.web.ratelimit).

    `key` names the brake and who is braked, e.g. "comment:42" or "signup:203.0.113.9".
    Rows live in the database, so every worker sees the same count and nothing is lost to
    cache eviction; old rows are pruned as new ones arrive.
    """

    key = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="web_rateevent_key_at")]

    def __str__(self):
        return f"{self.key} at {self.at:%Y-%m-%d %H:%M:%S}"
