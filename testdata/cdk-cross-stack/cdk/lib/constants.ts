/** Where the stacks deploy: pinned, so that pseudo-parameters are known. */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const AVAILABILITY_ZONES = ['eu-west-1a', 'eu-west-1b'];
