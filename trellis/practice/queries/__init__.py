"""Practice's reads across models, one module per part. Import from the module itself
(`from trellis.practice.queries.diary import diary_week`): this package re-exports nothing."""
