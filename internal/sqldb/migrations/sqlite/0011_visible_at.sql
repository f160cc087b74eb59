-- When readers may see a post: its publication time if it is published or
-- scheduled, else nothing. One indexed column lets the home page, feeds and
-- archives read the newest visible posts straight from the index, whatever
-- the number of posts (a status IN (…) forced a sort of them all).
ALTER TABLE posts ADD COLUMN visible_at DATETIME;
UPDATE posts SET visible_at = published_at WHERE status IN ('published', 'scheduled');
CREATE INDEX posts_visible ON posts(type, visible_at DESC, id DESC);
