"""Public availability: open data on doses, places and slots, and partner ingestion.

Open data needs no token and is cached by ETag, in JSON or CSV. Partner booking systems
push their availability with an ``availability-source`` token; it is republished next to
vaxx's own, every record with its source, the time it was true, and a ``stale`` flag.
"""
