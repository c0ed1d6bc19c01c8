/**
 * The model formats the generated service has a built-in runtime for: what the framework saves
 * (TorchScript, ONNX, XGBoost's JSON/UBJ, a scikit-learn joblib file), or `custom`, a `Model` subclass
 * of your own (the bundled example). The service, its requirements and its image follow the choice.
 */
export const MODEL_FORMATS = ['custom', 'pytorch', 'onnx', 'xgboost', 'sklearn'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

/** Formats whose runtime has no GPU code path: a GPU would be paid for and left idle. */
export const CPU_ONLY_MODEL_FORMATS: readonly ModelFormat[] = ['sklearn'];
