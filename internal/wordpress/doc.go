// Package wordpress moves a site from WordPress to Marquee and back: it
// imports a WXR export (authors, categories, tags, posts, pages, comments,
// attachments as links), answers the old WordPress addresses with
// redirects to their new homes, and exports the site as WXR 1.2.
//
// # What comes across
//
// Marquee has tags only, so WordPress categories and tags both become
// Marquee tags (a category "Parent › Child" becomes the tag "Child"). The
// category hierarchy and which post was in which category are kept in
// wp_categories and wp_post_categories, for the export and for the
// /category/parent/child/ redirects. Attachments are not downloaded (an
// import never goes to the network): they are kept in wp_attachments as
// references to their original URLs, and their old addresses redirect
// there. Navigation menus, revisions, custom post types and taxonomies other
// than categories and tags are skipped and counted in the Summary.
//
// # All or nothing
//
// An import runs in one database transaction (sqldb.DB.Tx, BEGIN IMMEDIATE
// on SQLite). A malformed file — bad XML, a truncated download — makes the
// reader fail with the line, the transaction rolls back and nothing of the
// file remains; a crash or kill midway leaves the same state, because an
// uncommitted transaction is discarded by SQLite's journal and by
// PostgreSQL alike. When the input can be read twice (a file rather than a
// pipe), the whole document is first streamed once without writing, so a
// damaged file is refused before the write lock is taken; the second pass
// still relies on the transaction. The price of one transaction is that on
// SQLite other writers (a running server taking comments) wait for the
// import and may time out on a very large one: import before opening the
// site, or accept a few failed writes during the import.
//
// Spam training (-train-spam) runs after the commit, from the comments the
// import created, because the spam store writes through its own
// connection; an interruption there leaves the import complete and the
// filter partly trained.
//
// # Idempotence
//
// wp_map records what every WordPress record became, keyed by the site it
// came from (its base URL without scheme; for a file that gives no
// address, its title) and the record's WordPress id (posts, pages,
// attachments, comments), login (authors) or guid when a post has no id.
// An id that a file uses for two different items (hand-edited and
// generated files do) keys the second as "id#2"; an item repeated whole
// is one post. Importing a file again adds nothing; importing a newer
// export of the same site adds only the new posts and comments. A post
// deleted in Marquee after an import is not brought back by a re-import.
//
// # Real exports
//
// Besides what the reader (package wxr) copes with, the import follows
// WordPress's importer where exports differ from the format: titles, term
// names and comment authors are HTML in WordPress ("Q&amp;A", pingback
// titles with &raquo;) and become plain text; an item without a type is a
// post and one without a status a draft; a category's parent may be named
// by its name (WXR 1.0) rather than its nicename, and a nicename written
// "Company News" is company-news; dc:creator matches a login whatever its
// case. A local date without its UTC twin is read in the offset the
// document's other dates show. Only links on the exported site's own host
// (or relative ones) become redirects.
package wordpress
