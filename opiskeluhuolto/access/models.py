from django.db import models


class FactsVersion(models.Model):
    """One row whose token changes whenever a table the permission facts are read from
    changes (see `access.facts`).

    Database triggers keep it (migration 0001), not Python signals: a bulk insert, a COPY
    of a roster import or a raw UPDATE changes the token too, in the writer's own
    transaction, so nobody can see the new data under the old token. The token is random,
    not a counter, so a number is never reused after a rollback.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField()

    class Meta:
        verbose_name = "permission facts version"

    def __str__(self) -> str:
        return str(self.token)
