"""Every write of practice, one module per part. Import from the module itself
(`from trellis.practice.actions.diary import do_fill_diary_card`): this package re-exports
nothing, so parts never edit a shared list."""
