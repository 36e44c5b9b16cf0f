from django.utils import translation


class LanguageMiddleware:
    """Chinese first: the language is Simplified Chinese unless the user chose English with the
    switch (a cookie). The browser's Accept-Language is deliberately ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = "en" if request.COOKIES.get("django_language") == "en" else "zh-hans"
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
