#!/usr/bin/python3
"""Writes N /parse lines (default 1000) over a fixed mix of address shapes."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
shapes = [
    "user{i}@oracle.example.org", "user{i}", "Full Name {i} <user{i}@oracle.example.org>",
    "user{i}@localhost", "user{i}+detail@oracle.example.org", "<user{i}@[127.0.0.1]>",
    "\"quoted {i}\"@oracle.example.org", "user{i}@oracle", "a.b.c{i}@oracle.example.org",
    "postmaster",
]
for i in range(n):
    print("/parse " + shapes[i % len(shapes)].format(i=i))
