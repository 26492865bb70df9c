import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
django_application = get_wsgi_application()

# Warm short links (/r/<code>) are answered before Django's middleware: tracking/fastpath.py.
from ambassade.tracking.fastpath import wrap  # noqa: E402

application = wrap(django_application)
