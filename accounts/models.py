from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A candidate. Staff users are the bank's curators.

    Custom from the first migration so fields can be added later without a painful swap.
    """

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    # An IANA name such as "Europe/Paris"; blank: the site's TIME_ZONE. Days (progress, the daily
    # review cap, history's date filters) start at midnight here (accounts.middleware).
    time_zone = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username
