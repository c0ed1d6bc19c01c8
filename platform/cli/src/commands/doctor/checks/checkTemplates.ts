import { listTemplateDefinitions, openTemplateSource, templatesAt } from '@idp/scaffold';
import type { DoctorCheck } from '../doctorCheck.js';

/** The templates source in effect can be read and holds at least one template. */
export const checkTemplates: DoctorCheck = {
  id: 'templates',
  title: 'Templates',
  async run(context) {
    const fix =
      'point `templates:` in the idp config file (or IDP_TEMPLATES_DIR, or --templates) at a git URL, a repository with templates/, or a templates folder';
    try {
      const source = await openTemplateSource(context.flags.templates, context.env);
      const checkout = await templatesAt(source);
      const names = await listTemplateDefinitions(checkout.templatesRoot)
        .then((templates) => templates.map((t) => (t.version ? `${t.name} ${t.version}` : t.name)))
        .finally(() => checkout.release());
      if (names.length === 0) return { status: 'fail', detail: `${source.repository} holds no template (no */template.yaml)`, fix };
      return { status: 'ok', detail: `${names.join(', ')} from ${source.repository}` };
    } catch (error) {
      return { status: 'fail', detail: (error as Error).message.split('\n').slice(0, 3).join(' '), fix };
    }
  },
};
