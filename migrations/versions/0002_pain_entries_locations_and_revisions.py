"""pain entries, locations and revisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 08:19:42.608488

"""
from alembic import op
import sqlalchemy as sa

import diary.database


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pain_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('intensity', sa.Integer(), nullable=False),
    sa.Column('worst_24h', sa.Integer(), nullable=True),
    sa.Column('least_24h', sa.Integer(), nullable=True),
    sa.Column('average_24h', sa.Integer(), nullable=True),
    sa.Column('qualities', sa.JSON(), nullable=False),
    sa.Column('interference', sa.JSON(), nullable=True),
    sa.Column('sleep_quality', sa.Integer(), nullable=True),
    sa.Column('mood', sa.Integer(), nullable=True),
    sa.Column('triggers', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('average_24h BETWEEN 0 AND 10', name=op.f('ck_pain_entries_average_24h_0_10')),
    sa.CheckConstraint('intensity BETWEEN 0 AND 10', name=op.f('ck_pain_entries_intensity_0_10')),
    sa.CheckConstraint('least_24h BETWEEN 0 AND 10', name=op.f('ck_pain_entries_least_24h_0_10')),
    sa.CheckConstraint('mood BETWEEN 0 AND 10', name=op.f('ck_pain_entries_mood_0_10')),
    sa.CheckConstraint('sleep_quality BETWEEN 0 AND 10', name=op.f('ck_pain_entries_sleep_quality_0_10')),
    sa.CheckConstraint('worst_24h BETWEEN 0 AND 10', name=op.f('ck_pain_entries_worst_24h_0_10')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_pain_entries_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_pain_entries_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pain_entries'))
    )
    with op.batch_alter_table('pain_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pain_entries_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_pain_entries_patient_day', ['patient_id', 'local_date'], unique=False)
        batch_op.create_index('ix_pain_entries_patient_recorded', ['patient_id', 'recorded_at', 'id'], unique=False)

    op.create_table('pain_entry_locations',
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('region', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('intensity', sa.Integer(), nullable=True),
    sa.Column('qualities', sa.JSON(), nullable=False),
    sa.CheckConstraint('intensity BETWEEN 0 AND 10', name=op.f('ck_pain_entry_locations_intensity_0_10')),
    sa.ForeignKeyConstraint(['entry_id'], ['pain_entries.id'], name=op.f('fk_pain_entry_locations_entry_id_pain_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'region', name=op.f('pk_pain_entry_locations'))
    )
    with op.batch_alter_table('pain_entry_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pain_entry_locations_region'), ['region'], unique=False)

    op.create_table('pain_entry_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('edited_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_by_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_pain_entry_revisions_edited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['pain_entries.id'], name=op.f('fk_pain_entry_revisions_entry_id_pain_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pain_entry_revisions'))
    )
    with op.batch_alter_table('pain_entry_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pain_entry_revisions_entry_id'), ['entry_id'], unique=False)



def downgrade():
    with op.batch_alter_table('pain_entry_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pain_entry_revisions_entry_id'))

    op.drop_table('pain_entry_revisions')
    with op.batch_alter_table('pain_entry_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pain_entry_locations_region'))

    op.drop_table('pain_entry_locations')
    with op.batch_alter_table('pain_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_pain_entries_patient_recorded')
        batch_op.drop_index('ix_pain_entries_patient_day')
        batch_op.drop_index(batch_op.f('ix_pain_entries_author_id'))

    op.drop_table('pain_entries')
