"""vaxx: the service shell around the certificate and booking domains.

The domain packages (``profiles``, ``issuer``, ``trust_list``, ``verifier``,
``wallet_api``, ``booking``) are libraries first; this package turns them into one
HTTP service and one command-line tool. Importing it stays cheap: the FastAPI app
is built by :func:`vaxx.app.create_app`, never at import time.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
