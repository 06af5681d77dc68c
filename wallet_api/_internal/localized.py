"""A route class that speaks the holder's language in every answer, errors included.

Errors are raised in English by the service (for logs and library users); here, on their
way out of a wallet route, they get the text of the negotiated language, and the
response says which with ``Content-Language``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from wallet_api.errors import WalletError, WalletInputError
from wallet_api.i18n import Language, negotiate, text, title

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def localize(error: WalletError, language: Language) -> WalletError:
    error.detail = text(error.message_key, language)
    # The problem body reads ``title`` from the instance, which shadows the class default.
    vars(error)["title"] = title(error.message_key, language)
    error.extra["language"] = language
    return error


class LocalizedRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def localized(request: Request) -> Response:
            language = negotiate(request.headers.get("accept-language"))
            try:
                response = await handler(request)
            except WalletError as error:
                raise localize(error, language) from None
            except RequestValidationError as error:
                raise localize(_invalid(error), language) from None
            response.headers["Content-Language"] = language
            return response

        return localized


def _invalid(error: RequestValidationError) -> WalletInputError:
    fields = [
        {"location": [str(p) for p in e.get("loc", ())], "type": e.get("type", "")}
        for e in error.errors()
    ]
    return WalletInputError("the request has invalid fields", errors=fields)
