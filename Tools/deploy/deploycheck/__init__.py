"""Offline checks of CityData's deployment files (compose, Kubernetes, Strimzi, Prometheus rules).

Run through Tools/deploy/validate.sh; `python3 -m deploycheck --help` lists the subcommands.
"""
