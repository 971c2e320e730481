"""The map data in fixtures/geo/ is served by the app: compressed, cacheable, with its licence."""

import gzip
import json

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from tests.conftest import PROJECT_ROOT

GEO = PROJECT_ROOT / "fixtures" / "geo"
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_every_map_file_and_its_licence_are_static_files():
    for name in (
        "regencies.geojson",
        "provinces.geojson",
        "centroids.csv",
        "LICENSE-MIT-wilayah_boundaries.md",
        "README.md",
    ):
        assert finders.find(f"geo/{name}") == str(GEO / name)


def test_boundaries_cover_the_national_list():
    regencies = json.loads((GEO / "regencies.geojson").read_text())
    provinces = json.loads((GEO / "provinces.geojson").read_text())
    codes = {feature["properties"]["code"] for feature in regencies["features"]}
    centroid_codes = {
        line.split(",")[0] for line in (GEO / "centroids.csv").read_text().splitlines()[1:]
    }
    assert len(codes) == 514
    assert codes == centroid_codes
    assert len(provinces["features"]) == 38


@pytest.mark.django_db
def test_production_serves_the_boundaries_gzipped_and_cached_for_a_year(tmp_path, settings):
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}
    # Only the map folder is collected, to keep the test quick; it is the production storage.
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=storages,
        STATICFILES_DIRS=[("geo", GEO)],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        DEBUG=False,
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        hashed = manifest["geo/regencies.geojson"]
        response = Client().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert len(body) < 500_000
    assert json.loads(gzip.decompress(body))["type"] == "FeatureCollection"
