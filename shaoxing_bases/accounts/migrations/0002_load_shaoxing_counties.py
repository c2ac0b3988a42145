from django.db import migrations

# A frozen copy: a data migration must not change when regions.py does later.
COUNTIES = (
    ("330602", "越城区"),
    ("330603", "柯桥区"),
    ("330604", "上虞区"),
    ("330624", "新昌县"),
    ("330681", "诸暨市"),
    ("330683", "嵊州市"),
)


def load_counties(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    for order, (code, name) in enumerate(COUNTIES, start=1):
        Region.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


def unload_counties(apps, schema_editor):
    apps.get_model("accounts", "Region").objects.filter(code__in=[code for code, _ in COUNTIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_counties, unload_counties)]
