-- PostgreSQL only (a page fill factor for tracked_requests): SQLite has no fill factor, this version changes nothing.
SELECT 1;
