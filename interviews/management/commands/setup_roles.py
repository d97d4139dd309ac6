from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from interviews.services.curation import CURATOR_GROUP, curator_group_ensure


class Command(BaseCommand):
    help = 'Create or repair the "curator" group (edits the bank, resolves flags); safe to run again.'

    def add_arguments(self, parser):
        parser.add_argument(
            "--curator",
            action="append",
            default=[],
            metavar="USERNAME",
            help="Also make this existing user a curator (staff, in the group). Repeatable.",
        )

    def handle(self, *args, curator, **options):
        group = curator_group_ensure()
        self.stdout.write(self.style.SUCCESS(f'Group "{CURATOR_GROUP}" has {group.permissions.count()} permissions.'))
        User = get_user_model()
        for username in curator:
            try:
                user = User.objects.get(username=username)
            except User.DoesNotExist:
                raise CommandError(f"no user {username!r}") from None
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)
            self.stdout.write(f"{username} is a curator.")
