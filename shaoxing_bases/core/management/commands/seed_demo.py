from django.core.management.base import BaseCommand

from applications.demo import seed_demo_applications
from shaoxing_bases.accounts.demo import DEMO_PASSWORD, seed_demo_accounts


class Command(BaseCommand):
    help = "创建或刷新演示数据（每个角色、每个区县一个账号）。可重复运行，不会产生重复数据。"

    def handle(self, *args, **options):
        accounts = seed_demo_accounts()
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for account in accounts:
            self.stdout.write(f"  {account.username:<20} {account.display_name}")
        for line in seed_demo_applications():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{len(accounts)} 个工作人员账号及申报单位。"))
