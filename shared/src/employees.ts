import { RoleSchema } from './users.ts'
import { z } from './zod.ts'

/** Departments and the profile fields of employees that signatures show. */

const text = (max: number) => z.string().trim().max(max)

export const DepartmentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    signatureTemplateId: z.uuid().nullable(),
    employeeCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Department' })

export const CreateDepartmentSchema = z.strictObject({
  name: text(100).min(1, 'Give the department a name.'),
  signatureTemplateId: z.uuid().nullable().default(null),
})

export const UpdateDepartmentSchema = CreateDepartmentSchema.partial()

/** An http(s) address or nothing: photos are loaded by recipients' mail clients. */
export const PhotoUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (v) => v === '' || /^https?:\/\/[^\s"'<>]+$/i.test(v),
    'Enter a web address starting with https://.',
  )

export const EmployeeCustomFieldsSchema = z
  .record(z.string(), z.string().max(500, 'Use at most 500 characters.'))
  .refine(
    (v) => Object.keys(v).every((k) => /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(k)),
    'Name custom fields with letters, digits and _ only.',
  )
  .refine((v) => Object.keys(v).length <= 50, 'Use at most 50 custom fields.')

export const EmployeeProfileSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    firstName: z.string(),
    lastName: z.string(),
    jobTitle: z.string(),
    phone: z.string(),
    mobile: z.string(),
    photoUrl: z.string(),
    customFields: z.record(z.string(), z.string()),
    departmentId: z.uuid().nullable(),
    department: z.string().nullable(),
    signatureTemplateId: z.uuid().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'EmployeeProfile' })

/** What an employee may change about themself. */
export const UpdateOwnProfileSchema = z
  .object({
    firstName: text(100),
    lastName: text(100),
    jobTitle: text(150),
    phone: text(40),
    mobile: text(40),
    photoUrl: PhotoUrlSchema,
    customFields: EmployeeCustomFieldsSchema,
  })
  .partial()
  .strict()

/** What a marketer or admin may change about an employee. */
export const UpdateEmployeeSchema = UpdateOwnProfileSchema.extend({
  departmentId: z.uuid().nullable(),
  signatureTemplateId: z.uuid().nullable(),
})
  .partial()
  .strict()

export const ListEmployeesQuerySchema = z.object({
  departmentId: z.uuid().optional(),
  q: z.string().trim().max(200).optional(),
})

export type Department = z.infer<typeof DepartmentSchema>
export type EmployeeProfile = z.infer<typeof EmployeeProfileSchema>
