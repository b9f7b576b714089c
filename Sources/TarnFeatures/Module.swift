// TarnFeatures: the feature store. FeatureStore (offline: feature tables over Tarn
// tables, point-in-time training sets, `_system.training_sets`) and, under Online/, the
// SQLite online store. The semantics are written down in spec/feature-store.md.
