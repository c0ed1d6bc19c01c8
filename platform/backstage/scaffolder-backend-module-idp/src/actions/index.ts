export { createValidateSpecAction, type ValidateSpecActionOptions } from './validateSpec';
export { createPlatformContractAction, type PlatformContractActionOptions } from './platformContract';
export { createCatalogRegisterAction, type CatalogRegisterActionOptions } from './catalogRegister';
