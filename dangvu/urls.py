from django.contrib import admin
from django.urls import path

from dangvu.web import views

urlpatterns = [
    path("", views.tree, name="tree"),
    path("to-chuc/<str:code>/", views.org_detail, name="org_detail"),
    path("admin/", admin.site.urls),
]
