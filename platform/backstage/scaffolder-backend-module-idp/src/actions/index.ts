export { createValidateSpecAction, type ValidateSpecActionOptions } from './validateSpec';
export { createPlatformContractAction, type PlatformContractActionOptions } from './platformContract';
export { createTemplateProvenanceAction, type TemplateProvenanceActionOptions } from './templateProvenance';
export { createUpgradeServiceAction, type UpgradeServiceActionOptions } from './upgradeService';
export { createCatalogRegisterAction, type CatalogRegisterActionOptions } from './catalogRegister';
export { createLlmSizeAction, type LlmSizeActionOptions } from './llmSize';
