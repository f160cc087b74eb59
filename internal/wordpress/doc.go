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
// /category/parent/child/ redirects. Attachments are kept in
// wp_attachments as references to their original URLs, and their old
// addresses redirect there, unless their files are imported (below).
// Navigation menus, revisions, custom post types and taxonomies other
// than categories and tags are skipped and counted in the Summary.
//
// # Uploads
//
// With Importer.UploadsDir (a copy of the old site's wp-content/uploads)
// or FetchUploads (download from the old site: the only time an import
// goes to the network, at most four files at once, each within
// media.MaxBytes), the files of the attachments, and the files under the
// site's uploads folder that post bodies show without the export listing
// them, go to the media library through media.Prepare, as uploads do: the
// images are re-encoded without their metadata. Files the library does
// not take (PDFs, audio, video, SVG) stay where they were and are listed
// in the Summary with every file that could not be read or downloaded;
// none of this fails the import. Post and page bodies are rewritten
// before they are stored: every src, href and srcset entry, and every URL
// in the block editor's comments, that names an imported file — as an
// absolute URL on the site's host (http or https, with or without www.)
// or on the host that served the attachments, as a site-relative path,
// or by the name of a copy WordPress resized ("photo-300x200.jpg") —
// points at /media/ID/VARIANT/NAME: the original for links and full-size
// images, else the smallest variant at least as large as the copy named.
// The old paths of the files and of their resized copies redirect to the
// same variants, and so do the attachments' pages and /?attachment_id=.
//
// The files are read, downloaded and re-encoded before the transaction,
// into a temporary file, so that the transaction only writes; a document
// that cannot be read twice (a pipe) is first copied to a temporary file.
// Each imported file is recorded in wp_map (kind attachment, key
// "upload:" and its path in the uploads folder), so a second run neither
// reads nor stores it again. A run that brings files also points the
// bodies of posts an earlier run imported at them, by their HTML source
// (a post since rewritten in Markdown is left alone); a run without the
// flags only points its new posts at files earlier runs brought.
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
