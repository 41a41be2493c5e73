"""Drives a running catalog with the CKAN client library `ckanapi`, as a harvester would.

usage: ckan_client.py BASE_URL ORGANIZATION INGEST_BASE
The organization owns three public datasets <org>-air ("Chất lượng không khí Hà Nội", tags aqi, pm25),
<org>-water ("Nước sạch Hà Nội", tag nuoc) and <org>-traffic ("Giao thông", tag aqi). Exits 0 when every
check passed, 1 with the failed check otherwise.
"""
import sys

import ckanapi


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)


def main():
    base, org, ingest = sys.argv[1], sys.argv[2], sys.argv[3]
    air, water, traffic = f"{org}-air", f"{org}-water", f"{org}-traffic"
    for get_only in (False, True):  # POST JSON (ckanapi's default) and GET
        ckan = ckanapi.RemoteCKAN(base, get_only=get_only)
        mode = "GET" if get_only else "POST"

        names = ckan.action.package_list()
        check({air, water, traffic} <= set(names), f"{mode} package_list lists the datasets: {names[:10]}")

        package = ckan.action.package_show(id=air)
        check(package["name"] == air and package["title"] == "Chất lượng không khí Hà Nội", f"{mode} package_show: {package}")
        check(package["organization"]["name"] == org, f"{mode} package_show organization: {package['organization']}")
        formats = {r["format"]: r["url"] for r in package["resources"]}
        check(formats.get("CSV") == f"{ingest}/v1/datasets/{air}/observations?format=csv", f"{mode} CSV resource: {formats}")
        check(formats.get("JSON") == f"{ingest}/v1/datasets/{air}/observations?format=json", f"{mode} JSON resource: {formats}")
        check(sorted(t["name"] for t in package["tags"]) == ["aqi", "pm25"], f"{mode} tags: {package['tags']}")

        try:
            ckan.action.package_show(id=f"{org}-missing")
            check(False, f"{mode} package_show of a missing dataset raises NotFound")
        except ckanapi.NotFound:
            pass

        found = ckan.action.package_search(q="HA NOI", fq=f"organization:{org}")
        check(found["count"] == 2 and {p["name"] for p in found["results"]} == {air, water}, f"{mode} q=HA NOI: {found['count']}")
        tagged = ckan.action.package_search(fq=f'organization:{org} tags:"aqi"', sort="name asc")
        check([p["name"] for p in tagged["results"]] == [air, traffic], f"{mode} fq tags:aqi sorted by name: {tagged['results']}")
        csv = ckan.action.package_search(fq=f"organization:{org} res_format:CSV")
        check(csv["count"] == 3, f"{mode} fq res_format:CSV: {csv['count']}")
        none = ckan.action.package_search(fq=f"organization:{org} res_format:SHP")
        check(none["count"] == 0, f"{mode} fq res_format:SHP: {none['count']}")
        pages = [ckan.action.package_search(fq=f"organization:{org}", sort="name asc", rows=1, start=i)["results"] for i in range(4)]
        check([[p["name"] for p in page] for page in pages] == [[air], [traffic], [water], []], f"{mode} rows/start paging: {pages}")
        faceted = ckan.action.package_search(fq=f"organization:{org}", rows=0, **{"facet.field": '["organization", "tags"]'})
        check(faceted["facets"]["organization"] == {org: 3}, f"{mode} organization facet: {faceted['facets']}")
        check(faceted["facets"]["tags"] == {"aqi": 2, "pm25": 1, "nuoc": 1}, f"{mode} tags facet: {faceted['facets']}")
        check(faceted["results"] == [], f"{mode} rows=0 returns no results")
        try:
            ckan.action.package_search(rows=5000)
            check(False, f"{mode} rows above 1000 is a validation error")
        except ckanapi.ValidationError:
            pass

        check(org in ckan.action.organization_list(), f"{mode} organization_list")
        organization = ckan.action.organization_show(id=org)
        check(organization["name"] == org and organization["package_count"] == 3, f"{mode} organization_show: {organization}")
        try:
            ckan.action.organization_show(id=f"{org}-missing")
            check(False, f"{mode} organization_show of a missing organization raises NotFound")
        except ckanapi.NotFound:
            pass
    print("ok")


if __name__ == "__main__":
    main()
