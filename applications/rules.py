"""Who may see and change units, batches and applications (django-rules).

Scope rule of the portal: an applicant sees its own unit; county staff see their county once the
unit has handed something in; city staff see the whole city. Views answer 404 outside the scope.
"""

import rules

from shaoxing_bases.accounts.rules import is_admin, is_applicant, is_city_hrss, is_city_staff, is_county_staff

from .enums import ApplicationState


@rules.predicate
def is_member_of_unit(user, unit) -> bool:
    return bool(unit is not None and user.is_authenticated and user.unit_id == unit.pk)


@rules.predicate
def is_member_of_applicant(user, application) -> bool:
    return bool(application is not None and user.is_authenticated and user.unit_id == application.unit_id)


@rules.predicate
def is_county_staff_of_unit(user, unit) -> bool:
    return bool(unit is not None and user.is_authenticated and user.region_id == unit.region_id)


@rules.predicate
def is_county_staff_of_application(user, application) -> bool:
    return bool(
        application is not None and user.is_authenticated and user.region_id == application.unit.region_id
    )


@rules.predicate
def handed_in(user, application) -> bool:
    return application is not None and application.state in ApplicationState.visible_to_county()


@rules.predicate
def is_editable(user, application) -> bool:
    return application is not None and application.state in ApplicationState.editable()


rules.add_perm(
    "applications.view_unit",
    is_member_of_unit | (is_county_staff & is_county_staff_of_unit) | is_city_staff | is_admin,
)
rules.add_perm("applications.manage_unit_members", is_applicant & is_member_of_unit)
rules.add_perm("applications.list_units", is_county_staff | is_city_staff | is_admin)
rules.add_perm("applications.manage_batches", is_city_hrss | is_admin)
rules.add_perm(
    "applications.view_application",
    (is_applicant & is_member_of_applicant)
    | (is_county_staff & is_county_staff_of_application & handed_in)
    | ((is_city_staff | is_admin) & handed_in),
)
rules.add_perm("applications.change_application", is_applicant & is_member_of_applicant & is_editable)
rules.add_perm("applications.submit_application", is_applicant & is_member_of_applicant)
rules.add_perm("applications.export_applications", is_city_staff | is_admin)
