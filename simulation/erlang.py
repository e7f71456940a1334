"""Queueing theory for validation: the Erlang C formula for an M/M/c queue."""

from __future__ import annotations


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits, for `servers` and load `a = lambda / mu` (< servers)."""
    if offered_load >= servers:
        raise ValueError("the queue is unstable: offered load must be below the number of servers")
    term = 1.0
    total = 1.0
    for k in range(1, servers):
        term *= offered_load / k
        total += term
    last = term * offered_load / servers
    waiting = last * servers / (servers - offered_load)
    return waiting / (total + waiting)


def mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean time in queue (same unit as 1 / rate) of an M/M/c queue."""
    load = arrival_rate / service_rate
    return erlang_c(servers, load) / (servers * service_rate - arrival_rate)


def utilisation(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Share of time each server is busy."""
    return arrival_rate / (servers * service_rate)


def arrival_rate_for(servers: int, service_rate: float, utilisation_target: float) -> float:
    """The arrival rate giving `utilisation_target`."""
    if not 0 < utilisation_target < 1:
        raise ValueError("utilisation must be between 0 and 1")
    return utilisation_target * servers * service_rate
