"""The REST API (OpenAPI at /api/v1/openapi.json, Swagger UI at /api/v1/docs).

The root only mounts the routers each domain offers and turns service errors into responses; the
handlers live with their domains, and who the caller is comes from `kuangzheng.access.http.actor_of`.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from kuangzheng.access import api as access_api
from kuangzheng.api import policy as policy_api
from kuangzheng.api.input import StrictParser, body_too_big, validation_problems
from kuangzheng.api.openapi import document_errors
from kuangzheng.applications import api as applications_api
from kuangzheng.audit import api as audit_api
from kuangzheng.compliance import api as compliance_api
from kuangzheng.credit import api as credit_api
from kuangzheng.errors import InvalidInput, ServiceError
from kuangzheng.hj212 import api as hj212_api
from kuangzheng.monitoring import api as monitoring_api
from kuangzheng.notices import api as notices_api
from kuangzheng.registry import api as registry_api
from kuangzheng.restoration import api as restoration_api
from kuangzheng.supervision import api as supervision_api


class DocumentedAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_errors(super().get_openapi_schema(**kwargs))


api = DocumentedAPI(
    title="矿政 Kuangzheng API",
    version="1",
    description=(
        "Registry of divisions, enterprises, facilities, mineral rights and zones. Every write is checked "
        "against the caller's role and division scope, validated (errors name the field, in Chinese and "
        "English) and recorded in the hash-chained audit log. Writes to existing records carry the "
        "`version` the caller read; a stale version is refused with 409."
    ),
    urls_namespace="api",
    parser=StrictParser(),
)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return service_error(request, InvalidInput(validation_problems(exc.errors)))


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return service_error(request, body_too_big())


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja wraps what the body parser raises; a service error inside keeps its own answer."""
    if isinstance(exc.__cause__, ServiceError):
        return service_error(request, exc.__cause__)
    parts = str(exc).split(" / ", 1)
    zh = next((p for p in parts if any("\u4e00" <= c <= "\u9fff" for c in p)), parts[0])
    body = {"error": "HttpError", "message_zh": zh, "message_en": next((p for p in parts if p != zh), zh)}
    return JsonResponse(body, status=exc.status_code, json_dumps_params={"ensure_ascii": False})


for _path, _router in registry_api.routers.items():
    api.add_router(_path, _router)
api.add_router("/divisions", registry_api.divisions)
api.add_router("/map", registry_api.maps)
api.add_router("/audit", audit_api.router)
api.add_router("/me", access_api.router)
api.add_router("/policy", policy_api.router)
api.add_router("/monitoring", monitoring_api.router)
api.add_router("/compliance", compliance_api.router)
api.add_router("/hj212", hj212_api.router)
api.add_router("/restoration", restoration_api.router)
api.add_router("/applications", applications_api.router)
api.add_router("/credit", credit_api.router)
api.add_router("/notices", notices_api.router)
api.add_router("/supervision", supervision_api.router)
