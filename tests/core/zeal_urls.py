"""A deliberately N+1 page, to prove that django-zeal watches the test client's requests."""

from django.http import HttpResponse
from django.urls import path

from shaoxing_bases.notifications.models import Notification


def n_plus_one(request):
    names = [notification.recipient.username for notification in Notification.objects.all()]
    return HttpResponse(", ".join(names))


def prefetched(request):
    names = [n.recipient.username for n in Notification.objects.select_related("recipient")]
    return HttpResponse(", ".join(names))


urlpatterns = [path("n-plus-one/", n_plus_one), path("prefetched/", prefetched)]
