import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { fieldProblems } from '@idp/service-spec';

/**
 * A text field for the service name (`ui:field: ServiceName`), validated by @idp/service-spec so the
 * form refuses exactly what the CLI refuses, with the same message.
 */
export function ServiceNameField(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, schema, required, rawErrors, idSchema, disabled } = props;
  return (
    <TextField
      id={idSchema?.$id}
      label={schema.title ?? 'Name'}
      required={required}
      disabled={disabled}
      fullWidth
      margin="normal"
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      // The form lists the messages under the field; the field only turns red.
      error={(rawErrors ?? []).length > 0}
      helperText={schema.description}
    />
  );
}

export function validateServiceName(value: string, validation: { addError(message: string): void }) {
  for (const problem of fieldProblems('name', value ?? '')) validation.addError(problem);
}
