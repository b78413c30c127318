import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opiskeluhuolto.settings")
application = get_wsgi_application()

# Import every view now, while the worker starts, instead of in its first request: the
# URL configuration pulls in the whole project (the charts' Altair alone takes about a
# second), and a worker's first visitors would otherwise wait for it together.
_ = get_resolver().url_patterns

# What is loaded now lives as long as the worker: move it out of the garbage collector's
# sight, so that its full collections walk only what requests allocate (each full walk of
# the loaded project stalled every thread of the worker for ~150 ms, every few seconds
# under load). https://docs.python.org/3/library/gc.html#gc.freeze
gc.collect()
gc.freeze()
