import pytest
from zeal import NPlusOneError

from shaoxing_bases.notifications.services import notify


@pytest.mark.urls("tests.core.zeal_urls")
def test_n_plus_one_in_a_request_fails_the_test(client, make_user):
    notify(recipients=[make_user(), make_user()], title="x", email=False)
    with pytest.raises(NPlusOneError, match=r"Notification\.recipient"):
        client.get("/n-plus-one/")
    assert client.get("/prefetched/").status_code == 200
