"""One Atom feed of every public notice (RFC 4287, through Django's syndication framework). Withdrawn
notices stay in the feed, updated and marked, so a reader's copy is corrected rather than silently kept."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed

from . import services

FEED_SIZE = 200


def _zh() -> bool:
    return not (translation.get_language() or "").startswith("en")


class NoticeFeed(Feed):
    feed_type = Atom1Feed
    link = "/public-notices/"

    def get_object(self, request, *args, **kwargs):
        self.kind = request.GET.get("kind") or None
        self.division = request.GET.get("division") or None
        return None

    def title(self):
        return "矿政 · 公告" if _zh() else "Kuangzheng · Public notices"

    def subtitle(self):
        return "矿业权审批、监督执法、名单、预警和规划的公示公告" if _zh() else "Every public notice of Kuangzheng"

    def items(self):
        return services.board(kind=self.kind, division=self.division, limit=FEED_SIZE)

    def item_title(self, n):
        title = n.title_zh if _zh() else n.title_en
        if n.withdrawn_at:
            return ("【已撤回】" if _zh() else "[Withdrawn] ") + title
        return title

    def item_description(self, n):
        body = n.body_zh if _zh() else n.body_en
        if n.withdrawn_at:
            reason = n.withdraw_reason_zh if _zh() or not n.withdraw_reason_en else n.withdraw_reason_en
            body = (f"撤回理由：{reason}\n\n" if _zh() else f"Withdrawn: {reason}\n\n") + body
        return body  # the generator escapes it; the feed carries text, never markup from data

    def item_link(self, n):
        return f"/public-notices/{n.pk}/"

    def item_guid(self, n):
        return f"tag:kuangzheng,2026:notice:{n.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, n):
        return n.published_at

    def item_updateddate(self, n):
        return n.withdrawn_at or n.published_at

    def item_categories(self, n):
        return [n.kind]
