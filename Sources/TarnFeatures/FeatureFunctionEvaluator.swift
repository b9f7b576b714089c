// On-demand features: a FeatureFunction's SQL expression parsed, bound against the
// training set's columns so far (spine, looked-up features, earlier functions) and
// evaluated vectorized with TarnExpression. Must never evaluate row by row.
import TarnColumnar
import TarnExpression

enum FeatureFunctionEvaluator {
    static func evaluate(_ function: FeatureFunction, on batch: RecordBatch) throws(FeatureError) -> Column {
        do {
            let expression = try ExpressionParser.parse(function.expression)
            let bound = try ExpressionBinder(scope: BindingScope(schema: batch.schema)).bind(expression)
            return try bound.evaluate(batch)
        } catch {
            throw FeatureError(.expression, "feature function '\(function.name)': \(error.rendered(source: function.expression))",
                               remedy: "fix the expression; it may use the spine columns, the looked-up features and earlier functions",
                               cause: error)
        }
    }
}
