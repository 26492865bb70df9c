"""Django as a WSGI application, for anyone who runs it under a WSGI server.

`ambassade web` serves ambassade/asgi.py instead, whose lean path answers short links
before Django (tracking/fastpath.py); under WSGI every short link goes to the view.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
application = get_wsgi_application()
