from django.urls import path

from ambassade.referrals import views

app_name = "referrals"

urlpatterns = [
    path("feed/<int:item_id>/refer/", views.refer, name="refer"),
    path("me/referrals/", views.mine, name="mine"),
    path("console/referrals/", views.offers, name="offers"),
    path("console/referrals/offers/<int:item_id>/", views.offer, name="offer"),
    path("console/referrals/<int:referral_id>/erase", views.erase, name="erase"),
    path("referral/<str:token>/confirm", views.confirm, name="confirm"),
    path("referral/<str:token>/decline", views.decline, name="decline"),
]
