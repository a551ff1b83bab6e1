import pytest
from django.db import connection

@pytest.mark.django_db
def test_db():
    print(connection.vendor)
    from django.core.cache import cache
    cache.set("a", 1); assert cache.get("a") == 1
