export { default } from '@curio/eslint-config';
