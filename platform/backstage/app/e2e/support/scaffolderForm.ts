import type { Page } from 'playwright-core';
import { openSignedIn } from './signIn';

/**
 * Drives the scaffolder's form (react-jsonschema-form with Material UI): fields are found by
 * the ids RJSF gives them (`root_<property>`), so a relabelled field still resolves.
 */
export class ScaffolderForm {
  constructor(private readonly page: Page) {}

  /**
   * Opens the portal's Create page, chooses the template whose card says `title` (and not
   * `notTitle`: a card container can hold several cards' text), and waits for its form's name field.
   */
  async open(baseUrl: string, title: string, notTitle: string) {
    await openSignedIn(this.page, `${baseUrl}/create`);
    const card = this.page.locator('article, .MuiCard-root', { hasText: title }).filter({ hasNotText: notTitle }).first();
    await card.waitFor({ timeout: 60_000 });
    await card.getByRole('button', { name: 'Choose' }).click();
    await this.field('name').waitFor({ timeout: 30_000 });
  }

  field(property: string) {
    return this.page.locator(`#root_${property}`);
  }

  async fill(property: string, value: string | number) {
    await this.field(property).fill(String(value));
  }

  /** A Material UI select: open it, pick the option by its text. */
  async select(property: string, option: string) {
    await this.field(property).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
    await this.page.getByRole('listbox').waitFor({ state: 'detached' });
  }

  /** The step's help and error texts under a field (RJSF's aria-describedby targets). */
  async messages(property: string): Promise<string> {
    const parts = await this.page.locator(`#root_${property}__error, #root_${property}__help`).allInnerTexts();
    return parts.join('\n');
  }

  /** The name of the active step in the stepper. */
  async activeStep(): Promise<string> {
    return (await this.page.locator('.MuiStepLabel-label.MuiStepLabel-active').first().innerText()).trim();
  }

  /** Clicks Next (on the last page, Review) and waits until the stepper shows the given step. */
  async next(expectedStep: string, button = 'Next') {
    await this.page.getByRole('button', { name: button, exact: true }).click();
    await this.page.locator('.MuiStepLabel-label.MuiStepLabel-active', { hasText: expectedStep }).waitFor({ timeout: 30_000 });
  }
}
