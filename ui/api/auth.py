"""Bearer tokens and per-token rate limits (a token bucket each) for `/api` and `/v1`; the citizen pages stay open."""

from __future__ import annotations

import hmac
import math
import threading
import time
from collections.abc import Callable

from ui.api.config import ApiSettings
from ui.api.errors import ApiError

UNAUTHORIZED_ZH = ("需要访问令牌：请在请求头加上 Authorization: Bearer <令牌>。令牌由管理员在 POLICY_QA_API_TOKENS 中配置；"
                   "市民网页不需要令牌。")
BAD_TOKEN_ZH = "访问令牌无效：请检查 Authorization: Bearer 后的令牌是否与管理员配置的一致。"


class RateLimiter:
    """Token buckets: `capacity` requests at once, refilled at `per_minute` a minute. Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens left, last refill time)
        self._lock = threading.Lock()

    def take(self, key: str, per_minute: int, capacity: int) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        rate = per_minute / 60.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(capacity), now))
            tokens = min(float(capacity), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate


class Guard:
    """Checks `Authorization: Bearer` and the token's rate limit; raises ApiError 401 / 429."""

    def __init__(self, settings: ApiSettings, limiter: RateLimiter | None = None):
        self.settings = settings
        self.limits = settings.limits()
        self.limiter = limiter or RateLimiter()

    @property
    def enabled(self) -> bool:
        return self.settings.auth_enabled

    def token_of(self, authorization: str | None) -> str | None:
        """The configured token that `authorization` presents, or None (compared in constant time)."""
        if not authorization:
            return None
        scheme, _, presented = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return None
        presented = presented.strip()
        found = None
        for token in self.limits:
            if hmac.compare_digest(token.encode(), presented.encode()):
                found = token
        return found

    def check(self, authorization: str | None) -> str | None:
        """The caller's token (None when auth is off); ApiError when missing, wrong or over its limit."""
        if not self.enabled:
            return None
        token = self.token_of(authorization)
        if token is None:
            message = BAD_TOKEN_ZH if authorization else UNAUTHORIZED_ZH
            raise ApiError(401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="policy-qa"'})
        per_minute = self.limits[token]
        wait = self.limiter.take(token, per_minute, min(self.settings.burst, per_minute))
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, "rate_limited", f"请求过于频繁：该令牌每分钟最多 {per_minute} 次请求，请 {seconds} 秒后再试。",
                           {"Retry-After": str(seconds)})
        return token

    def allows_staff(self, token: str | None) -> bool:
        """The dashboard's check: any configured token (or anyone when auth is off)."""
        return not self.enabled or self.token_of(f"Bearer {token or ''}") is not None
