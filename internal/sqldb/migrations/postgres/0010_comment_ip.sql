-- The spam filter asks how many spam comments came from an address.
CREATE INDEX comments_ip ON comments(ip, status);
