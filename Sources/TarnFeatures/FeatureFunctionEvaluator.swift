// On-demand features: a FeatureFunction's SQL expression parsed, bound against the
// training set's columns so far (spine, looked-up features, earlier functions) and
// evaluated vectorized with TarnExpression. Must never evaluate row by row.
import TarnColumnar
import TarnExpression

enum FeatureFunctionEvaluator {
    static func evaluate(_ function: FeatureFunction, on batch: RecordBatch) throws(FeatureError) -> Column {
        // Binding and evaluation arrive with TarnExpression step 2.
        throw FeatureError(.expression, "feature function '\(function.name)': expression evaluation is not available yet")
    }
}
