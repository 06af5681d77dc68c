"""The public availability and booking pages and the clinic quick-update page (zh-TW / English).

``/find`` lists sessions and leftover doses from the open-data endpoints that third
parties read (so the page and the open data cannot disagree), ``/book`` is the booking
flow the SMART feed's deep links point to, ``/my-booking`` is where a citizen comes back
with the reference and birth date to see, move or cancel the booking, and ``/clinic/`` is
where site staff mark a session full, change its capacity or announce leftover doses with
one tap. They are static HTML, CSS and JS shipped in the package (no build step), served
under a strict Content-Security-Policy with no inline script.
"""
