DROP INDEX IF EXISTS users_folded_name_idx;
DROP TABLE IF EXISTS topic_reads, topic_follows, forum_follows, forum_moderation_log, forum_reports,
    forum_attachments, forum_reactions, forum_post_revisions;
ALTER TABLE IF EXISTS forum_topics DROP CONSTRAINT IF EXISTS forum_topics_accepted_fk;
DROP TABLE IF EXISTS forum_posts, consultation_options, forum_topics, community_settings, forum_moderators, forums;
DROP TEXT SEARCH CONFIGURATION IF EXISTS community_en;
DROP TEXT SEARCH CONFIGURATION IF EXISTS community_es;
DROP TEXT SEARCH CONFIGURATION IF EXISTS community_pt;
