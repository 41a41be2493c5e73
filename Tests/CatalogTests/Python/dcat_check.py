"""Parses the catalog's DCAT-AP JSON-LD with rdflib, offline, and checks DCAT-AP's mandatory properties.

usage: dcat_check.py FILE DATASET_ID ACCESS_URL
Exits 0 when the dataset node has dct:title, dct:description, dct:publisher and a dcat:distribution
with dcat:accessURL ACCESS_URL; 1 with the failed check otherwise.
"""
import sys

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

DCAT = Namespace("http://www.w3.org/ns/dcat#")


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)


def main():
    path, dataset_id, access_url = sys.argv[1], sys.argv[2], sys.argv[3]
    graph = Graph()
    with open(path, encoding="utf-8") as f:
        graph.parse(data=f.read(), format="json-ld")
    datasets = [s for s in graph.subjects(DCTERMS.identifier, Literal(dataset_id))]
    check(len(datasets) == 1, f"one node with dct:identifier {dataset_id}: {datasets}")
    dataset = datasets[0]
    check((dataset, RDF.type, DCAT.Dataset) in graph, "the node is a dcat:Dataset")
    titles = {(t.language, str(t)) for t in graph.objects(dataset, DCTERMS.title)}
    check(("vi", "Chất lượng không khí Hà Nội") in titles, f"dct:title in Vietnamese: {titles}")
    check(any(True for _ in graph.objects(dataset, DCTERMS.description)), "dct:description")
    publishers = list(graph.objects(dataset, DCTERMS.publisher))
    check(len(publishers) == 1, f"one dct:publisher: {publishers}")
    distributions = list(graph.objects(dataset, DCAT.distribution))
    check(len(distributions) >= 1, "a dcat:distribution")
    urls = {graph.value(d, DCAT.accessURL) for d in distributions}
    check(URIRef(access_url) in urls, f"dcat:accessURL {access_url} (an IRI) among {urls}")
    print("ok")


if __name__ == "__main__":
    main()
