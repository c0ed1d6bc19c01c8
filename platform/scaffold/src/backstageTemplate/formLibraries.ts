import type { Experimental_DefaultFormStateBehavior, RJSFSchema, ValidatorType } from '@rjsf/utils';
import { boundedRegExp } from './boundedRegExp.js';

/** The pieces of react-jsonschema-form the portal's form runs on, as the form configures them. */
export interface FormLibraries {
  validator: ValidatorType;
  getDefaultFormState(schema: RJSFSchema, formData: unknown): unknown;
  /** The schema with dependencies, oneOf/anyOf, allOf and if/then/else resolved for this data, as the form shows it. */
  retrieveSchema(schema: RJSFSchema, formData: unknown, rootSchema?: RJSFSchema): RJSFSchema;
}

// scaffolder-react's Stepper: defaults populated through allOf too.
const DEFAULT_FORM_STATE_BEHAVIOR: Experimental_DefaultFormStateBehavior = { allOf: 'populateDefaults' };

let loaded: Promise<FormLibraries> | undefined;

/** The module's exports whichever way a loader presented the CommonJS module: the one that has `name`. */
function namedExports<M extends { default: unknown }>(module: M, name: string): M['default'] {
  const candidates = [module.default, (module.default as { default?: unknown } | undefined)?.default, module];
  return candidates.find((candidate) => candidate !== null && candidate !== undefined && name in Object(candidate)) as M['default'];
}

/**
 * rjsf's utilities and its ajv 8 validator with ajv-errors, set up as scaffolder-react's Stepper
 * sets them up. Loaded on first use: only templates that are not ours need them, and they cost a
 * cold start ~150 ms.
 */
export function formLibraries(): Promise<FormLibraries> {
  loaded ??= (async () => {
    const [utilsModule, validatorModule, ajvErrorsModule] = await Promise.all([
      import('@rjsf/utils'),
      import('@rjsf/validator-ajv8'),
      import('ajv-errors'),
    ]);
    // CommonJS packages: Node puts module.exports on `default`, a bundler or Vite may give the named exports.
    const utils = namedExports(utilsModule, 'getDefaultFormState');
    const { customizeValidator } = namedExports(validatorModule, 'customizeValidator');
    // Template patterns run under a time limit (boundedRegExp): a terminal must never hang on one.
    const validator = customizeValidator({ ajvOptionsOverrides: { code: { regExp: boundedRegExp } } });
    // ajv-errors' module.exports is the plugin function itself.
    const ajvErrors = namedExports(ajvErrorsModule as { default: unknown }, 'call') as unknown as (ajv: unknown) => void;
    ajvErrors(validator.ajv);
    return {
      validator,
      getDefaultFormState: (schema, formData) =>
        utils.getDefaultFormState(validator, schema, formData, schema, false, DEFAULT_FORM_STATE_BEHAVIOR),
      retrieveSchema: (schema, formData, rootSchema = schema) => utils.retrieveSchema(validator, schema, rootSchema, formData),
    };
  })();
  return loaded;
}
